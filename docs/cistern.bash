# bash completion for cistern — verbs, options, pool and volume names.
# The candidates come from cistern itself (`cistern __complete WORD...`),
# so they follow the verb table and the pools of the command line's
# --config-dir; nothing is hard-coded here.
_cistern()
{
	local line=${COMP_LINE:0:COMP_POINT} cur
	local -a words
	read -r -a words <<<"$line"
	[[ $line == *[[:space:]] ]] && words+=("")
	((${#words[@]} >= 2)) || return 0
	cur=${words[-1]}
	local IFS=$'\n'
	COMPREPLY=($(command "${words[0]}" __complete "${words[@]:1}" 2>/dev/null))
	# bash replaces only what follows '=' in "--opt=VALUE"
	if [[ $cur == --*=* && $COMP_WORDBREAKS == *=* ]]; then
		COMPREPLY=("${COMPREPLY[@]#*=}")
	fi
	((${#COMPREPLY[@]})) || compopt -o default 2>/dev/null
	return 0
}
complete -F _cistern cistern
