-- Neovim's own LSP client against `pinwarden server`: open the file, wait for its
-- diagnostics, write them one a line (0-based line, column, code, message) to the
-- output file. Written for Neovim 0.7 (Debian's) and later: `start_client` and
-- `buf_attach_client` rather than the newer `vim.lsp.start`.
local bin = os.getenv("PINWARDEN_BIN")
local file = os.getenv("PINWARDEN_FILE")
local out = os.getenv("PINWARDEN_OUT")

local function finish(lines, code)
  local handle = assert(io.open(out, "w"))
  handle:write(table.concat(lines, "\n"))
  handle:close()
  vim.cmd(code == 0 and "qall!" or "cquit " .. code)
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local client = vim.lsp.start_client({
  name = "pinwarden",
  cmd = { bin, "server" },
  root_dir = vim.fn.fnamemodify(file, ":p:h"),
})
if not client then
  finish({ "cannot start the server" }, 2)
end
vim.lsp.buf_attach_client(buf, client)

local arrived = vim.wait(60000, function()
  return #vim.diagnostic.get(buf) > 0
end, 20)
if not arrived then
  finish({ "no diagnostics arrived" }, 3)
end

local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  table.insert(lines, string.format("%d:%d %s %s", d.lnum, d.col, tostring(code), d.message))
end
table.sort(lines)
finish(lines, 0)
