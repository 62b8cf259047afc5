# expect: division by zero (immediate divisor 0)
mov %r0, 10
div %r0, 0
exit
