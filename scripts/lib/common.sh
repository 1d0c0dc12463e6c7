# Shared by the scripts: find the toolchain and install the system libraries the package links against.
# Installs with apt-get as root (or through sudo without a password); never asks a question.

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
            [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
        done
    fi
    command -v swift >/dev/null 2>&1 || die "Swift 6 is not installed (https://swift.org/install); put swift on PATH and run again"
}

ensure_system_packages() {
    local missing=()
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    if command -v pkg-config >/dev/null 2>&1; then
        pkg-config --exists libsodium || missing+=(libsodium-dev)
        pkg-config --exists liblz4 || missing+=(liblz4-dev)
        pkg-config --exists libcrypto || missing+=(libssl-dev)
        pkg-config --exists libxxhash || missing+=(libxxhash-dev)
        pkg-config --exists libzstd || missing+=(libzstd-dev)
    else
        missing+=(libsodium-dev liblz4-dev libssl-dev libxxhash-dev libzstd-dev)
    fi
    missing+=("$@")
    local need=()
    for p in "${missing[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
    done
    [ ${#need[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]}; install them with your package manager"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || die "missing ${need[*]}; run: sudo apt-get install ${need[*]}"
        sudo="sudo -n"
    fi
    log "installing ${need[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" </dev/null >/dev/null
}
