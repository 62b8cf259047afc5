# expect: division by zero (immediate divisor 0)
mov %r0, 10
sdiv %r0, 0
exit
