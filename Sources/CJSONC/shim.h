#ifndef PILOT_CJSONC_SHIM_H
#define PILOT_CJSONC_SHIM_H

#include <json-c/json.h>

#endif
