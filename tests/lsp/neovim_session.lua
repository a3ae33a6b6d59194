-- Drives `memlint server` from a real editor: opens a Python buffer, waits for memlint's
-- diagnostics, applies the quick fix through the editor's own workspace-edit code (which sends
-- incremental didChange notifications), and waits for the diagnostic to disappear. Each step
-- writes a line to $MEMLINT_NVIM_OUT; a step that times out writes TIMEOUT and stops.
-- Written for Neovim 0.7 (Debian 12), which has vim.lsp.start_client but not vim.lsp.start.
local out_path = assert(os.getenv('MEMLINT_NVIM_OUT'))
local binary = assert(os.getenv('MEMLINT_BINARY'))
local file = assert(os.getenv('MEMLINT_NVIM_FILE'))
local timeout_ms = 20000
local lines = {}

local function finish()
  vim.fn.writefile(lines, out_path)
  vim.cmd('qall!')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local config = { name = 'memlint', cmd = { binary, 'server' }, root_dir = vim.fn.fnamemodify(file, ':h') }
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config, { bufnr = buf })
else
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client_id)
end

if not vim.wait(timeout_ms, function() return #vim.diagnostic.get(buf) > 0 end, 20) then
  table.insert(lines, 'TIMEOUT waiting for diagnostics')
  return finish()
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
  -- lnum/col are 0-based, col in bytes: Neovim converted memlint's UTF-16 positions.
  table.insert(lines, string.format('DIAG %s %d:%d-%d:%d %s', code, d.lnum, d.col, d.end_lnum,
                                    d.end_col, d.source or '?'))
end

-- What `:lua vim.lsp.buf.code_action()` sends with the cursor at the start of the line: the
-- cursor position and the line's diagnostics.
local d = vim.diagnostic.get(buf)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = 0 } },
  context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum) },
}
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, timeout_ms)
local actions = responses and responses[client_id] and responses[client_id].result or {}
for _, action in ipairs(actions) do
  table.insert(lines, 'ACTION ' .. action.title)
end
if not actions[1] or not actions[1].edit then
  table.insert(lines, 'TIMEOUT waiting for code actions')
  return finish()
end
vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
table.insert(lines, 'FIXED ' .. vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1])

if not vim.wait(timeout_ms, function() return #vim.diagnostic.get(buf) == 0 end, 20) then
  table.insert(lines, 'TIMEOUT waiting for the diagnostic to clear')
  return finish()
end
table.insert(lines, 'CLEARED')
vim.lsp.stop_client(client_id)
finish()
