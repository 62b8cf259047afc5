# expect: recursion is not allowed: func@3 -> func@3
mov %r1, 3
call local f
exit
f:
mov %r0, %r1
jeq %r1, 0, +2
sub %r1, 1
call local f
exit
