// Pango lays out Chinese text; cairo draws it into PDF pages with embedded font subsets.
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
