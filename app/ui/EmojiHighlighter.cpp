#include "app/ui/EmojiHighlighter.h"

#include "app/ui/Emoji.h"

#include <QTextDocument>

namespace tern::app::ui {

void EmojiHighlighter::highlightBlock(const QString &text)
{
    if (!Emoji::fontAvailable())
        return;
    const QList<Emoji::Run> runs = Emoji::runs(text);
    if (runs.isEmpty())
        return;
    QTextCharFormat format;
    format.setFontFamilies(Emoji::emojiFirst(document()->defaultFont()).families());
    for (const Emoji::Run &run : runs)
        setFormat(run.start, run.length, format);
}

} // namespace tern::app::ui
