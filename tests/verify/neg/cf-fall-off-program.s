# expect: falls off the end of the program
mov %r0, 0
add %r0, 1
