#ifndef PILOT_CPOSTGRES_SHIM_H
#define PILOT_CPOSTGRES_SHIM_H

#include <libpq-fe.h>

#endif
