// Starts `memlint server` for Python files. Diagnostics, quick fixes and `# noqa` actions come
// from the server; this extension only launches it and forwards the `memlint.*` settings.
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

function settings(): { select: string[]; ignore: string[] } {
  const config = vscode.workspace.getConfiguration('memlint');
  return {
    select: config.get<string[]>('select', []),
    ignore: config.get<string[]>('ignore', []),
  };
}

async function startClient(): Promise<void> {
  const command = vscode.workspace.getConfiguration('memlint').get<string>('path', 'memlint');
  // No `transport` option: the client would append `--stdio`, which the server accepts but does
  // not need; stdio is its only transport.
  const serverOptions: ServerOptions = { command, args: ['server'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    initializationOptions: settings(),
    synchronize: {
      // Sends {"memlint": {...}} in workspace/didChangeConfiguration when a setting changes.
      configurationSection: 'memlint',
      // The server re-reads [tool.memlint] when a pyproject.toml changes, and re-links
      // cross-file findings when Python files change outside the editor.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{pyproject.toml,*.py,*.pyi}'),
    },
  };
  client = new LanguageClient('memlint', 'memlint', serverOptions, clientOptions);
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('memlint.path')) {
        return;
      }
      await client?.stop();
      await startClient();
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
