#!/usr/bin/env bash
# OpenSSH: ssh-keygen -D prints the token's public key; ssh-agent loads the
# token (ssh-add -s) and proves a signature (ssh-add -T); a real login to a
# throwaway sshd on loopback succeeds with the token's key, through the
# agent and through ssh -I, and fails without it.
# Negative cases: wrong PIN, login without the key, login after ssh-add -e.
#
#   MODULE=<module.so> tests/integration/openssh.sh
. "$(dirname "$0")/helpers.sh"

KEY_TYPE=${KEY_TYPE:-rsa:2048}
SSHD=${SSHD:-/usr/sbin/sshd}
USER_NAME=$(id -un)

token_init
id=$(keygen "$KEY_TYPE")
log "key CKA_ID: $id"
cd "$WORK"

unset SSH_AUTH_SOCK SSH_AGENT_PID

log "ssh-keygen -D lists the token's public keys, ours among them"
$CHECKER ssh-keygen -D "$MODULE" >token-keys.pub
cat token-keys.pub
# ssh-keygen -D prints each key's CKA_LABEL as its comment.
awk -v l="$KEY_LABEL" 'NF == 3 && $3 == l' token-keys.pub >token.pub
[ "$(wc -l <token.pub)" -eq 1 ] || fail "ssh-keygen -D does not print key '$KEY_LABEL' once"
blob=$(awk '{print $2}' token.pub)
case "$KEY_TYPE" in
  rsa:*) want=ssh-rsa ;;
  EC:prime256v1) want=ecdsa-sha2-nistp256 ;;
  EC:secp384r1) want=ecdsa-sha2-nistp384 ;;
  *) want=$(awk '{print $1}' token.pub) ;;
esac
[ "$(awk '{print $1}' token.pub)" = "$want" ] || fail "key '$KEY_LABEL' is not $want"

log "throwaway sshd on loopback"
ssh-keygen -q -t ed25519 -N '' -C host -f hostkey
cp token.pub authorized_keys
cat >sshd_config <<EOF
ListenAddress 127.0.0.1
HostKey $WORK/hostkey
PidFile none
AuthorizedKeysFile $WORK/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
LogLevel VERBOSE
EOF
[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd   # privilege separation directory
# A port can still be taken between free_port and sshd's bind (the tests
# run in parallel): then try another one.
for attempt in 1 2 3; do
  port=$(free_port)
  "$SSHD" -D -e -f "$WORK/sshd_config" -o "Port=$port" 2>sshd.log &
  track_pid $!
  if port_up "$port" $!; then break; fi
  log "sshd did not start on port $port: $(tail -n 1 sshd.log)"
  [ "$attempt" -lt 3 ] || fail "sshd did not start (see $WORK/sshd.log)"
done
echo "[127.0.0.1]:$port $(cat hostkey.pub)" >known_hosts

# ssh_login [ssh options...]: run "echo login-ok" on the sshd.  No tty and
# no password methods: only public keys (and SSH_ASKPASS for a token PIN).
ssh_login() {
  $CHECKER ssh -F /dev/null -p "$port" \
    -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$WORK/known_hosts" \
    -o GlobalKnownHostsFile=/dev/null -o PasswordAuthentication=no \
    -o KbdInteractiveAuthentication=no -o ConnectTimeout=10 \
    "$@" "$USER_NAME@127.0.0.1" echo login-ok </dev/null
}

log "negative: no key, no agent: login refused"
expect_fail ssh_login -o IdentityAgent=none

log "ssh-agent with the module allowed (-P)"
start_agent
agent_sock=$SSH_AUTH_SOCK

log "negative: ssh-add -s with a wrong PIN"
SSH_ASKPASS="$WORK/askpass-bad" expect_fail ssh-add -s "$MODULE"
expect_fail ssh-add -T token.pub

log "ssh-add -s loads the token, ssh-add -L lists it, ssh-add -T signs"
ssh-add -s "$MODULE" </dev/null
ssh-add -L >agent.pub
grep -qF "$blob" agent.pub || fail "agent does not hold the token key"
ssh-add -T token.pub

log "login through the agent"
out=$(ssh_login -o IdentityAgent="$agent_sock")
[ "$out" = login-ok ] || fail "unexpected ssh output: $out"
grep -q "Accepted publickey for $USER_NAME" sshd.log || fail "sshd did not log the key login"

log "ssh-add -e removes the token: login refused again"
ssh-add -e "$MODULE"
expect_fail ssh_login -o IdentityAgent="$agent_sock"

log "login with ssh -I (PKCS11Provider, PIN through SSH_ASKPASS)"
out=$(ssh_login -o IdentityAgent=none -I "$MODULE")
[ "$out" = login-ok ] || fail "unexpected ssh output: $out"

log "PASS openssh"
