# expect: no exit: function
mov %r0, 0
call local f
exit
f:
mov %r0, 1
L1:
ja L1
