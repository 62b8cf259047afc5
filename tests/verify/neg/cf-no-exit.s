# expect: no exit: the program never reaches an exit
mov %r0, 0
L1:
add %r0, 1
ja L1
