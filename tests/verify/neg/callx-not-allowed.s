# expect: helper 32 (now_ms) is not in the allowlist
# options: --helpers 1
mov %r2, 32
call %r2
exit
