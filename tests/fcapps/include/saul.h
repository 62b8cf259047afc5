/* saul.h for the fcapps apps: RIOT's SAUL class numbers (facts). */
#ifndef FCAPPS_SAUL_H
#define FCAPPS_SAUL_H
#define SAUL_SENSE_BTN   0x81
#define SAUL_SENSE_TEMP  0x82
#define SAUL_SENSE_HUM   0x83
#define SAUL_SENSE_LIGHT 0x84
#endif
