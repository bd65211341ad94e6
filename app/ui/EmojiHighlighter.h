#pragma once

//! Draws the emoji typed in a text editor (the composer) from the colour emoji font.

#include <QSyntaxHighlighter>

namespace tern::app::ui {

class EmojiHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    using QSyntaxHighlighter::QSyntaxHighlighter;

protected:
    void highlightBlock(const QString &text) override;
};

} // namespace tern::app::ui
