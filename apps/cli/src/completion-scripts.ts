/** Shells `zs completion` writes a script for. */
export const COMPLETION_SHELLS = ["bash", "zsh", "fish"] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

// Each script hands the words typed so far to `zs __complete`, which answers from the commander
// program and the active store, so the scripts never go stale when commands or options change.
const SCRIPTS: Record<CompletionShell, string> = {
  bash: `# zs completion for bash. Load it with: eval "$(zs completion bash)"
# (or save it as ~/.local/share/bash-completion/completions/zs)
_zs_completion() {
  local IFS=$'\\n'
  mapfile -t COMPREPLY < <(zs __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
}
complete -o default -F _zs_completion zs
`,
  zsh: `#compdef zs
# zs completion for zsh. Load it with: eval "$(zs completion zsh)" (after compinit)
# (or save it as _zs in a directory of $fpath)
_zs() {
  local -a candidates
  candidates=("\${(@f)$(zs __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -Q -- "\${candidates[@]}"
  else
    _files
  fi
}
if [[ "\${funcstack[1]}" == "_zs" ]]; then
  _zs "$@"
else
  compdef _zs zs
fi
`,
  fish: `# zs completion for fish. Load it with: zs completion fish | source
# (or save it as ~/.config/fish/completions/zs.fish)
function __zs_complete
    set -l words (commandline -opc)
    zs __complete -- $words[2..-1] (commandline -ct) 2>/dev/null
end
complete -c zs -f -a '(__zs_complete)'
`,
};

/** The completion script for `shell`. */
export function completionScript(shell: CompletionShell): string {
  return SCRIPTS[shell];
}
