# expect: helper 2 (memcpy) is not in the allowlist
# options: --profile tests/verify/neg/printf-only.profile
mov %r1, %r10
add %r1, -8
mov %r2, %r10
add %r2, -16
mov %r3, 8
call 2
exit
