"""`k8slint lsp`: findings in the editor while typing (needs the `lsp` extra: pygls).

server       the pygls server: features, commands, debounce
diagnostics  the protocol-free part: which files to check, ranges, edits
"""
