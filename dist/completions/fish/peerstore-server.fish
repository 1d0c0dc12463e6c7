function __peerstore-server_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __peerstore-server_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __peerstore-server_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __peerstore-server_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __peerstore-server_parse_tokens -S
    set -l unparsed_tokens (__peerstore-server_tokens -pc)
    switch $unparsed_tokens[1]
    case 'peerstore-server'
        __peerstore-server_parse_subcommand 0 'version' 'operation=' 'peerAddr=' 'addr=' 'dataPath=' 'advertiseAddr=' 'initialPeerAddr=' 'startRingIfAlone' 'networkKeyFile=' 'allowUsers=' 'handshakeTimeout=' 'peerTimeout=' 'stabilizeInterval=' 'replicas=' 'antiEntropyInterval=' 'compactBelow=' 'compactInterval=' 'segmentMiB=' 'gracePeriod=' 'expireLeases' 'leaseBackupBound=' 'successors=' 'scrubInterval=' 'scrubRate=' 'metricsAddr=' 'httpAddr=' 'logLevel=' 'config=' 'help'
        switch $unparsed_tokens[1]
        case 'help'
            __peerstore-server_parse_subcommand -r 1 
        end
    end
end

function __peerstore-server_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __peerstore-server_parse_subcommand -S -a positional_count
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

function __peerstore-server_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __peerstore-server_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__peerstore-server_tokens -p)
    if test -z "$(__peerstore-server_tokens -t)"
        set -l index (count (__peerstore-server_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'peerstore-server' -f
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" version version' -o 'version' -l 'version' -d 'Print the version and exit.'
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" operation operation' -o 'operation' -l 'operation' -d 'run (default), status (print the ring seen from -peerAddr) or scrub (check the stopped node\'s -dataPath once; exit 3 if damaged).' -rfka 'run status scrub'
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" peerAddr peerAddr' -o 'peerAddr' -l 'peerAddr' -d 'With -operation status: the node to ask.' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" addr addr' -o 'addr' -l 'addr' -d 'Address to listen on (:PORT or HOST:PORT; port 0 picks a free port).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" dataPath dataPath' -o 'dataPath' -l 'dataPath' -d 'Folder for the node\'s blocks, records and key (default .peerstore/PORT under the current folder).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" advertiseAddr advertiseAddr' -o 'advertiseAddr' -l 'advertiseAddr' -d 'HOST:PORT other nodes and clients reach this node at (needed with -addr 0.0.0.0:PORT; port 0: the bound port).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" initialPeerAddr initialPeerAddr' -o 'initialPeerAddr' -l 'initialPeerAddr' -d 'A node of the ring to join (HOST:PORT, or KEY@HOST:PORT to pin its key). Until it can join, the node keeps trying and says why; it does not start a ring of its own. Without it: the first node of a new ring.' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" startRingIfAlone startRingIfAlone' -o 'startRingIfAlone' -l 'startRingIfAlone' -d 'While -initialPeerAddr cannot be joined, run a ring of one meanwhile (and keep trying it).'
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" networkKeyFile networkKeyFile' -o 'networkKeyFile' -l 'networkKeyFile' -d 'The ring\'s network key (make one with `peerstore-client -operation genkey`). Without it: an open demo ring.' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" allowUsers allowUsers' -o 'allowUsers' -l 'allowUsers' -d 'A file of user ids (one a line) that may store here; others may only read.' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" handshakeTimeout handshakeTimeout' -o 'handshakeTimeout' -l 'handshakeTimeout' -d 'Seconds a peer has to complete the secure handshake (default 10).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" peerTimeout peerTimeout' -o 'peerTimeout' -l 'peerTimeout' -d 'Seconds another node has to answer a request before it is skipped and counted as down for a while (default 5; a put gets 0.25 s more per MiB).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" stabilizeInterval stabilizeInterval' -o 'stabilizeInterval' -l 'stabilizeInterval' -d 'Seconds between stabilize rounds (default 1).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" replicas replicas' -o 'replicas' -l 'replicas' -d 'Copies of every block and record (default 3).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" antiEntropyInterval antiEntropyInterval' -o 'antiEntropyInterval' -l 'antiEntropyInterval' -d 'Seconds between anti-entropy rounds (default 10).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" compactBelow compactBelow' -o 'compactBelow' -l 'compactBelow' -d 'Rewrite a segment once less than this fraction of it is live (default 0.5; 0: never).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" compactInterval compactInterval' -o 'compactInterval' -l 'compactInterval' -d 'Seconds between compactions of one segment each (default 30).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" segmentMiB segmentMiB' -o 'segmentMiB' -l 'segmentMiB' -d 'Start a new segment file once one would pass this many MiB (default 256; compaction rewrites whole segments).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" gracePeriod gracePeriod' -o 'gracePeriod' -l 'gracePeriod' -d 'Seconds a block is kept after its last lease ended (default 604800, 7 days).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" expireLeases expireLeases' -o 'expireLeases' -l 'expireLeases' -d 'Count a lease past its expiry as ended (off: only releases end leases).'
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" leaseBackupBound leaseBackupBound' -o 'leaseBackupBound' -l 'leaseBackupBound' -d 'Seconds a backup may run before it commits (default 86400): a release ends only leases renewed longer ago. Tests shorten it.' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" successors successors' -o 'successors' -l 'successors' -d 'Successor-list length (default 8).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" scrubInterval scrubInterval' -o 'scrubInterval' -l 'scrubInterval' -d 'Seconds between scrub passes, which read and check every stored block and record and drop damaged copies for replicas to replace (default 86400; 0: off).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" scrubRate scrubRate' -o 'scrubRate' -l 'scrubRate' -d 'MiB a second a scrub pass reads at most, on average (default 16; 0: no limit; with -operation scrub: default no limit).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" metricsAddr metricsAddr' -o 'metricsAddr' -l 'metricsAddr' -d 'Serve Prometheus metrics on http://HOST:PORT/metrics (:PORT: 127.0.0.1 only; off by default).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" httpAddr httpAddr' -o 'httpAddr' -l 'httpAddr' -d 'Serve the status page (the ring drawn, /status.json) on http://HOST:PORT/ (:PORT: 127.0.0.1 only; off by default).' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" logLevel logLevel' -o 'logLevel' -l 'logLevel' -d 'trace, debug, info, notice, warning, error or critical.' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" config config' -o 'config' -l 'config' -d 'A YAML file of these flags (`flag: value` a line, without the dash); a flag given here wins.' -rfka ''
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_flags_or_options "peerstore-server" help help' -o 'help' -l 'help' -d 'Show help information.'
complete -c 'peerstore-server' -n '__peerstore-server_should_offer_completions_for_positional "peerstore-server" -eq 1' -fa 'help' -d 'Show subcommand help information.'
