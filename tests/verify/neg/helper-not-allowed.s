# expect: helper 32 (now_ms) is not in the allowlist
# options: --helpers 1,2
call 0x20
exit
