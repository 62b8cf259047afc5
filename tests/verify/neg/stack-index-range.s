# expect: stack access out of bounds: offset -784..-529, 1 bytes
# r2 = 0..255 (masked), r1 = r10 - 784 + r2: always below the frame
mov %r2, %r2
and %r2, 255
mov %r1, %r10
add %r1, -784
add %r1, %r2
stb [%r1+0], 0
mov %r0, 0
exit
