# a board helper: r1 = pointer to a 16-byte reading
helper 0x80 sense ptrw
ctx-size 16
