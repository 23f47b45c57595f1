/* filter.c — state-variable filter design (see filter.h). */
#include "filter.h"

#include <math.h>

ost_svf_coefs ost_svf_design(float fc, float q, float rate) {
    float nyq = 0.49f * rate;
    if (!(fc >= 10.0f)) fc = 10.0f; /* also catches NaN */
    if (fc > nyq) fc = nyq;
    if (!(q >= 0.1f)) q = 0.1f;
    if (q > 100.0f) q = 100.0f;
    float g = tanf((float)M_PI * fc / rate);
    float k = 1.0f / q;
    ost_svf_coefs c;
    c.a1 = 1.0f / (1.0f + g * (g + k));
    c.a2 = g * c.a1;
    c.a3 = g * c.a2;
    c.k = k;
    return c;
}
