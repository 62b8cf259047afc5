# expect: modulo by zero (immediate divisor 0)
mov %r0, 10
mod32 %r0, 0
exit
