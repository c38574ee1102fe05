// libxlsxwriter writes .xlsx workbooks (the 申报汇总表 as Excel).
#include <xlsxwriter.h>
