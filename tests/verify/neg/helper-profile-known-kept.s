# expect: argument 1 of helper 2 (memcpy) must be a pointer, but r1 is a number
# options: --profile tests/verify/neg/memcpy-weak.profile
mov %r1, 5
mov %r2, %r10
add %r2, -8
stdw [%r10-8], 0
mov %r3, 8
call 2
exit
