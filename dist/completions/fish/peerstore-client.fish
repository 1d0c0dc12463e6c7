function __peerstore-client_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __peerstore-client_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __peerstore-client_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __peerstore-client_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __peerstore-client_parse_tokens -S
    set -l unparsed_tokens (__peerstore-client_tokens -pc)
    switch $unparsed_tokens[1]
    case 'peerstore-client'
        __peerstore-client_parse_subcommand 0 'version' 'config=' 'operation=' 'peerAddr=' 'localPath=' 'filename=' 'filedest=' 'home=' 'device=' 'networkKeyFile=' 'exclude=+' 'force' 'quiet' 'noCache' 'skipIfUnchanged' 'json' 'shareWith=' 'shareWithKeyFile=' 'message=' 'follow' 'share=' 'remove=' 'add=' 'name=' 'passphraseFile=' 'forget=' 'folder=' 'watch' 'poll=' 'stop' 'snapshot=+' 'include=+' 'keep-last=' 'keep-hourly=' 'keep-daily=' 'keep-weekly=' 'keep-monthly=' 'keep-yearly=' 'dry-run' 'prune' 'metricsFile=' 'logLevel=' 'help'
        switch $unparsed_tokens[1]
        case 'help'
            __peerstore-client_parse_subcommand -r 1 
        end
    end
end

function __peerstore-client_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __peerstore-client_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __peerstore-client_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __peerstore-client_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__peerstore-client_tokens -p)
    if test -z "$(__peerstore-client_tokens -t)"
        set -l index (count (__peerstore-client_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'peerstore-client' -f
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" version version' -o 'version' -l 'version' -d 'Print the version and exit.'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" config config' -o 'config' -l 'config' -d 'A YAML file of these flags (`flag: value` a line, without the dash); a flag given here wins.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" operation operation' -o 'operation' -l 'operation' -d 'init, whoami, backup, getfile, restore, snapshots, forget, prune, ls, diff, check, genkey, share, inbox, contacts, revoke, devices, export-identity, import-identity or sync (default backup).' -rfka 'init whoami backup getfile restore snapshots forget prune ls diff check genkey share inbox contacts revoke devices export-identity import-identity sync'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" peerAddr peerAddr' -o 'peerAddr' -l 'peerAddr' -d 'A node of the ring (:PORT or HOST:PORT); remembered once it worked. Given here, it must answer.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" localPath localPath' -o 'localPath' -l 'localPath' -d 'The folder to back up; remembered after a backup.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" filename filename' -o 'filename' -l 'filename' -d 'A path as backed up (absolute, or relative to the backed-up folder): getfile the file to restore; restore only this folder (or file); ls only what is under it.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" filedest filedest' -o 'filedest' -l 'filedest' -d 'Where to restore to.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" home home' -o 'home' -l 'home' -d 'Client home (default $PEERSTORE_HOME, else $HOME/.peerstore).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" device device' -o 'device' -l 'device' -d 'Device name (default: the host name); init, backup and import-identity remember it, restore, getfile, snapshots, ls, diff, check and forget read that device\'s backups.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" networkKeyFile networkKeyFile' -o 'networkKeyFile' -l 'networkKeyFile' -d 'The ring\'s network key (remembered wherever given); genkey writes a new one here.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client"' -o 'exclude' -l 'exclude' -d 'Leave out paths matching a glob (repeatable; remembered after a backup): *.tmp, /build, logs/, **/cache/*. A .peerstoreignore file in any folder adds patterns for that folder.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" force force' -o 'force' -l 'force' -d 'Overwrite an existing -filedest (restore, getfile, export-identity).'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" quiet quiet' -o 'quiet' -l 'quiet' -d 'Print only errors.'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" noCache noCache' -o 'noCache' -l 'noCache' -d 'With backup: read every file, even those the file cache says are unchanged.'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" skipIfUnchanged skipIfUnchanged' -o 'skipIfUnchanged' -l 'skipIfUnchanged' -d 'With backup: store no new snapshot when the folder is as the latest snapshot stores it (nothing changed).'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" json json' -o 'json' -l 'json' -d 'Machine-readable output: JSON progress lines and a summary (backup, restore), one JSON object (check), one per entry (ls) or change and a summary (diff).'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" shareWith shareWith' -o 'shareWith' -l 'shareWith' -d 'share, revoke: the recipient, a user id or a contact\'s name.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" shareWithKeyFile shareWithKeyFile' -o 'shareWithKeyFile' -l 'shareWithKeyFile' -d 'share: a file holding the recipient\'s user id.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" message message' -o 'message' -l 'message' -d 'share: a note for the recipient (at most 1 KiB).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" follow follow' -o 'follow' -l 'follow' -d 'share: keep the recipient on the newest version; every backup that changes the file shares it again, until revoke.'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" share share' -o 'share' -l 'share' -d 'getfile: restore a share, given as its token or its inbox index.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" remove remove' -o 'remove' -l 'remove' -d 'inbox: remove the share at this index (every version of it).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" add add' -o 'add' -l 'add' -d 'contacts: a user id to add (with -name).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" name name' -o 'name' -l 'name' -d 'contacts: the name for -add.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" passphraseFile passphraseFile' -o 'passphraseFile' -l 'passphraseFile' -d 'export-identity, import-identity: read the passphrase from this file\'s first line (else $PEERSTORE_PASSPHRASE, else asked on the terminal).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" forget forget' -o 'forget' -l 'forget' -d 'devices: take the device with this id (the ID column) off the list; its backups stay.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" folder folder' -o 'folder' -l 'folder' -d 'sync: the synced folder\'s name, the same on every device (its -localPath may differ per device).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" watch watch' -o 'watch' -l 'watch' -d 'sync: keep running; sync again when a file in -localPath changes or another device published (see -poll).'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" poll poll' -o 'poll' -l 'poll' -d 'sync -watch: how often to look for other devices\' changes, in seconds (default 60).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" stop stop' -o 'stop' -l 'stop' -d 'sync: stop syncing -folder on this device (your other devices stop merging its state; its snapshots stay restorable).'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client"' -o 'snapshot' -l 'snapshot' -d 'restore, getfile, check, ls: the snapshot to read, `latest` (the default) or its id or the start of it (-operation snapshots); diff: twice, the older first.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client"' -o 'include' -l 'include' -d 'restore: only paths matching a glob, and the folders leading to them (repeatable; a folder that matches comes whole). Patterns as -exclude\'s, relative to the backed-up folder: *.txt, /docs, src/**/*.c, logs/.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" keep-last keep-last' -o 'keep-last' -l 'keep-last' -d 'forget: keep the n newest snapshots (n, or unlimited).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" keep-hourly keep-hourly' -o 'keep-hourly' -l 'keep-hourly' -d 'forget: keep the newest snapshot of each of the n newest hours that have one.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" keep-daily keep-daily' -o 'keep-daily' -l 'keep-daily' -d 'forget: the same per day (local time).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" keep-weekly keep-weekly' -o 'keep-weekly' -l 'keep-weekly' -d 'forget: the same per week (Monday to Sunday).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" keep-monthly keep-monthly' -o 'keep-monthly' -l 'keep-monthly' -d 'forget: the same per month.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" keep-yearly keep-yearly' -o 'keep-yearly' -l 'keep-yearly' -d 'forget: the same per year. The -keep-* flags given are remembered as the policy.' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" dry-run dry-run' -o 'dry-run' -l 'dry-run' -d 'forget: print what would be kept and removed; prune: count what would be released; change nothing, remember nothing.'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" prune prune' -o 'prune' -l 'prune' -d 'forget: prune after forgetting (as -operation prune does).'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" metricsFile metricsFile' -o 'metricsFile' -l 'metricsFile' -d 'With backup: after the run, write a summary for node-exporter\'s textfile collector here (PATH.prom; replaced atomically).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" logLevel logLevel' -o 'logLevel' -l 'logLevel' -d 'Log level for diagnostics on stderr (default warning).' -rfka ''
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_flags_or_options "peerstore-client" help help' -o 'help' -l 'help' -d 'Show help information.'
complete -c 'peerstore-client' -n '__peerstore-client_should_offer_completions_for_positional "peerstore-client" -eq 1' -fa 'help' -d 'Show subcommand help information.'
