# expect: jump from function
mov %r0, 0
call local f
ja +1
exit
f:
mov %r0, 1
exit
