# expect: falls off the end of function
mov %r0, 0
call local f
exit
f:
mov %r0, 1
g:
mov %r0, 2
call local g
exit
