#include "trashentry.h"

namespace tfjs {

QString trashReasonName(TrashReason reason)
{
    return reason == TrashReason::Replaced ? QStringLiteral("replaced") : QStringLiteral("removed");
}

} // namespace tfjs
