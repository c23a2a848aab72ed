#include "cli.h"
int main() { return 0; }
