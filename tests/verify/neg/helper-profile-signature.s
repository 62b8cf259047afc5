# expect: argument 1 of helper 128 (sense) must be a pointer, but r1 is a number
# options: --profile tests/verify/neg/sense.profile
mov %r1, 1
call 0x80
exit
