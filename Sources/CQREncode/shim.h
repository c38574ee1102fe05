// libqrencode draws the QR code an authenticator app scans to enrol a TOTP secret.
#include <qrencode.h>
