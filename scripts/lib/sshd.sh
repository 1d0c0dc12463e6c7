# Shared by the benchmark scripts: a private sshd on 127.0.0.1, for restic over SFTP and Borg over ssh.
# start_sshd DIR makes a host key, a client key, an authorized_keys file (key only, "restrict"), an sshd_config, an
# ssh_config and a known_hosts file in DIR, starts /usr/sbin/sshd in the foreground on a free loopback port, and
# waits until a login works. Sets SSHD_PID, SSH_CONFIG and SSH_HOST (the Host alias in SSH_CONFIG: connect with
# `ssh -F "$SSH_CONFIG" "$SSH_HOST"`). stop_sshd stops it. sshd_ticks: the CPU ticks (user+sys) of the listener and all
# its finished descendants (per-connection sshd, sftp-server, borg serve), read from /proc: the listener's own plus its
# cutime/cstime, which the kernel adds up as children are reaped.

SSHD_PID=""
SSH_HOST=peerstore-bench

# free_port: a TCP port nothing listens on at 127.0.0.1, from 20000-59999.
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null)" ] && { echo "$p"; return 0; }
    done
    die "no free loopback port found for the benchmark's sshd"
}

start_sshd() {
    local dir="$1" user port sftp=internal-sftp
    user="$(id -un)"
    rm -rf "$dir" && mkdir -p "$dir" && chmod 700 "$dir"
    ssh-keygen -q -t ed25519 -N '' -C peerstore-bench-host -f "$dir/host_ed25519"
    ssh-keygen -q -t ed25519 -N '' -C peerstore-bench-client -f "$dir/id_ed25519"
    printf 'restrict %s\n' "$(cat "$dir/id_ed25519.pub")" >"$dir/authorized_keys"
    printf '%s %s\n' "$SSH_HOST" "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >"$dir/known_hosts"
    [ -x /usr/lib/openssh/sftp-server ] && sftp=/usr/lib/openssh/sftp-server
    # As root, sshd needs its privilege separation folder (Debian's unit makes it; there is no unit here).
    [ "$(id -u)" -eq 0 ] && mkdir -p /run/sshd && chmod 755 /run/sshd
    port="$(free_port)"
    cat >"$dir/sshd_config" <<EOF
# The benchmark's own sshd: loopback only, public keys only, one user, no forwarding of any kind.
Port $port
ListenAddress 127.0.0.1
AddressFamily inet
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
HostbasedAuthentication no
PermitEmptyPasswords no
PermitRootLogin prohibit-password
AllowUsers $user
UsePAM no
StrictModes no
UseDNS no
AllowTcpForwarding no
AllowStreamLocalForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTunnel no
GatewayPorts no
PermitUserRC no
PermitUserEnvironment no
PrintMotd no
LogLevel ERROR
Subsystem sftp $sftp
EOF
    cat >"$dir/ssh_config" <<EOF
Host $SSH_HOST
    HostName 127.0.0.1
    Port $port
    User $user
    IdentityFile $dir/id_ed25519
    IdentitiesOnly yes
    HostKeyAlias $SSH_HOST
    UserKnownHostsFile $dir/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    BatchMode yes
    PasswordAuthentication no
    ForwardAgent no
    ForwardX11 no
    ClearAllForwardings yes
    ProxyCommand none
    Compression no
    LogLevel ERROR
EOF
    SSH_CONFIG="$dir/ssh_config"
    /usr/sbin/sshd -t -f "$dir/sshd_config" || die "the benchmark's sshd_config ($dir/sshd_config) is not valid"
    /usr/sbin/sshd -D -f "$dir/sshd_config" -E "$dir/sshd.log" </dev/null &
    SSHD_PID=$!
    for _ in $(seq 1 100); do
        ssh -F "$SSH_CONFIG" "$SSH_HOST" true </dev/null 2>/dev/null && return 0
        kill -0 "$SSHD_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$dir/sshd.log" >&2 2>/dev/null || true
    die "the benchmark's sshd on 127.0.0.1:$port did not accept a login within 10 s (log: $dir/sshd.log)"
}

stop_sshd() {
    [ -n "$SSHD_PID" ] || return 0
    kill -TERM "$SSHD_PID" 2>/dev/null || true
    wait "$SSHD_PID" 2>/dev/null || true
    SSHD_PID=""
}

# sshd_ticks: the listener's ticks once its connections have ended (waits up to 5 s for them to be reaped).
sshd_ticks() {
    [ -n "$SSHD_PID" ] || { echo 0; return; }
    for _ in $(seq 1 100); do
        [ -z "$(pgrep -P "$SSHD_PID" 2>/dev/null)" ] && break
        sleep 0.05
    done
    proc_ticks "$SSHD_PID"
}
