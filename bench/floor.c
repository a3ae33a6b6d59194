/* floor: the parse floor memlint is measured against.
 *
 * Reads every file named on the command line (or, with no file arguments, one path per line on
 * standard input) and parses it with the same tree-sitter runtime and Python grammar memlint is
 * built from, on one thread, with one reused parser: no decoding, no lowering, no rules. What
 * memlint spends beyond this is its own cost.
 *
 *   floor [--read | --parse | --walk] [--quiet] [FILE...]
 *
 *   --read   read the files only (the I/O and page-cache floor)
 *   --parse  read and parse (default)
 *   --walk   read, parse, and visit every node once with a tree cursor (the least any
 *            lowering of the whole tree must do)
 *
 * Prints one line: mode, files, bytes, lines, syntax trees with errors, seconds (wall, measured
 * inside the process with CLOCK_MONOTONIC, so process start-up is excluded).
 */
#define _POSIX_C_SOURCE 200809L
#include <tree_sitter/api.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const TSLanguage *tree_sitter_python(void);

enum Mode { MODE_READ, MODE_PARSE, MODE_WALK };

struct Totals {
  unsigned long long Files, Bytes, Lines, ErrorTrees, Nodes, Unreadable;
};

static char *Buffer;
static size_t Capacity;

/* Reads the whole file into the shared buffer; returns its size or -1. */
static long long readFile(const char *Path) {
  FILE *F = fopen(Path, "rb");
  if (!F)
    return -1;
  size_t Size = 0;
  for (;;) {
    if (Capacity - Size < 65536) {
      size_t NewCapacity = Capacity ? Capacity * 2 : (1u << 20);
      char *Grown = realloc(Buffer, NewCapacity);
      if (!Grown) {
        fclose(F);
        return -1;
      }
      Buffer = Grown;
      Capacity = NewCapacity;
    }
    size_t Got = fread(Buffer + Size, 1, Capacity - Size, F);
    Size += Got;
    if (Got == 0)
      break;
  }
  int Failed = ferror(F);
  fclose(F);
  return Failed ? -1 : (long long)Size;
}

static unsigned long long countLines(const char *Data, size_t Size) {
  unsigned long long Lines = 0;
  const char *End = Data + Size;
  for (const char *P = Data; (P = memchr(P, '\n', (size_t)(End - P))) != NULL; ++P)
    ++Lines;
  if (Size && Data[Size - 1] != '\n')
    ++Lines;
  return Lines;
}

static unsigned long long walk(TSTree *Tree) {
  unsigned long long Nodes = 0;
  TSTreeCursor Cursor = ts_tree_cursor_new(ts_tree_root_node(Tree));
  for (;;) {
    ++Nodes;
    /* Touch what a lowering reads from every node: its symbol, field and extent. */
    TSNode Node = ts_tree_cursor_current_node(&Cursor);
    volatile uint32_t Sink = ts_node_symbol(Node) + ts_tree_cursor_current_field_id(&Cursor) +
                             ts_node_start_byte(Node) + ts_node_end_byte(Node);
    (void)Sink;
    if (ts_tree_cursor_goto_first_child(&Cursor))
      continue;
    while (!ts_tree_cursor_goto_next_sibling(&Cursor))
      if (!ts_tree_cursor_goto_parent(&Cursor)) {
        ts_tree_cursor_delete(&Cursor);
        return Nodes;
      }
  }
}

static void processFile(const char *Path, enum Mode M, TSParser *Parser, struct Totals *T) {
  long long Size = readFile(Path);
  if (Size < 0) {
    fprintf(stderr, "floor: cannot read %s\n", Path);
    ++T->Unreadable;
    return;
  }
  ++T->Files;
  T->Bytes += (unsigned long long)Size;
  T->Lines += countLines(Buffer, (size_t)Size);
  if (M == MODE_READ)
    return;
  TSTree *Tree = ts_parser_parse_string(Parser, NULL, Buffer, (uint32_t)Size);
  if (!Tree) {
    ++T->ErrorTrees;
    return;
  }
  if (ts_node_has_error(ts_tree_root_node(Tree)))
    ++T->ErrorTrees;
  if (M == MODE_WALK)
    T->Nodes += walk(Tree);
  ts_tree_delete(Tree);
}

static double now(void) {
  struct timespec Ts;
  clock_gettime(CLOCK_MONOTONIC, &Ts);
  return (double)Ts.tv_sec + (double)Ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  enum Mode M = MODE_PARSE;
  int Quiet = 0, FirstFile = argc;
  for (int I = 1; I < argc; ++I) {
    if (!strcmp(argv[I], "--read"))
      M = MODE_READ;
    else if (!strcmp(argv[I], "--parse"))
      M = MODE_PARSE;
    else if (!strcmp(argv[I], "--walk"))
      M = MODE_WALK;
    else if (!strcmp(argv[I], "--quiet"))
      Quiet = 1;
    else if (!strcmp(argv[I], "-h") || !strcmp(argv[I], "--help")) {
      printf("usage: floor [--read | --parse | --walk] [--quiet] [FILE...]\n"
             "With no FILE, reads one path per line from standard input.\n");
      return 0;
    } else if (!strcmp(argv[I], "--")) {
      FirstFile = I + 1;
      break;
    } else if (argv[I][0] == '-' && argv[I][1]) {
      fprintf(stderr, "floor: unknown option %s\n", argv[I]);
      return 2;
    } else {
      FirstFile = I;
      break;
    }
  }

  TSParser *Parser = ts_parser_new();
  if (!ts_parser_set_language(Parser, tree_sitter_python())) {
    fprintf(stderr, "floor: grammar/runtime ABI mismatch\n");
    return 2;
  }
  struct Totals T = {0};
  double Start = now();
  if (FirstFile < argc) {
    for (int I = FirstFile; I < argc; ++I)
      processFile(argv[I], M, Parser, &T);
  } else {
    char *Line = NULL;
    size_t LineCap = 0;
    ssize_t Len;
    while ((Len = getline(&Line, &LineCap, stdin)) > 0) {
      while (Len > 0 && (Line[Len - 1] == '\n' || Line[Len - 1] == '\r'))
        Line[--Len] = '\0';
      if (Len)
        processFile(Line, M, Parser, &T);
    }
    free(Line);
  }
  double Seconds = now() - Start;
  ts_parser_delete(Parser);
  free(Buffer);

  static const char *const Names[] = {"read", "parse", "walk"};
  if (!Quiet) {
    printf("mode=%s files=%llu bytes=%llu lines=%llu error_trees=%llu seconds=%.6f", Names[M],
           T.Files, T.Bytes, T.Lines, T.ErrorTrees, Seconds);
    if (M == MODE_WALK)
      printf(" nodes=%llu", T.Nodes);
    printf("\n");
  }
  return T.Unreadable ? 1 : 0;
}
