/* The version of the kpicalc command; part of the private profile's path. */
#ifndef KPICALC_VERSION_H
#define KPICALC_VERSION_H

#define KPICALC_VERSION "0.1.0"

#endif
