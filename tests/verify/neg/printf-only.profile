# femtoc profile: printf only
helper 0x01
