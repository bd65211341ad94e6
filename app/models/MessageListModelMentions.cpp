// MessageListModel: where the mentions sit in a row's text (MentionSpansRole), for the delegate
// to highlight them; kept apart from the model's main file.

#include "app/models/MessageListModel.h"
#include "app/models/MessageText.h"

namespace tern::app::models {

QVariantList MessageListModel::mentionSpans(const Row &row) const
{
    if (row.kind == protocol::MessageKind::System || row.kind == protocol::MessageKind::Unknown)
        return {};
    QList<MessageText::MentionSpan> spans;
    MessageText::renderMentions(row.content, m_names, &spans);
    QVariantList list;
    list.reserve(spans.size());
    for (const MessageText::MentionSpan &span : std::as_const(spans)) {
        list.append(QVariantMap{{QStringLiteral("start"), span.start},
                                {QStringLiteral("length"), span.length},
                                {QStringLiteral("userId"), span.userId},
                                {QStringLiteral("me"), !m_me.isEmpty() && span.userId == m_me}});
    }
    return list;
}

} // namespace tern::app::models
