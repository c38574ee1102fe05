// libqpdf merges the report's parts with the uploaded PDFs, stamps their page numbers and writes the outline.
#include <qpdf/qpdf-c.h>
#include <qpdf/qpdfjob-c.h>
#include <qpdf/qpdflogger-c.h>
