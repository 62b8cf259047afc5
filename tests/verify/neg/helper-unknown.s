# expect: unknown helper 153 (0x99)
call 0x99
exit
