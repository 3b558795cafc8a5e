/* placeholder, replaced below */
#include "cmd/cmd_audit.h"
int cmd_crack(int argc, char **argv) { (void)argc; (void)argv; return 64; }
int cmd_decrypt(int argc, char **argv) { (void)argc; (void)argv; return 64; }
