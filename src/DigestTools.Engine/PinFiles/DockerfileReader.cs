using System;
using System.Collections.Generic;
using System.Text;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// Splits a Dockerfile into logical instructions the way BuildKit's parser does: parser directives at the
    /// top (the escape directive chooses '\' or '`'), comment and blank lines skipped, lines ending in the
    /// escape character continued, and heredoc bodies (RUN/COPY/ADD &lt;&lt;WORD ... WORD) passed over so
    /// that a line such as "FROM x" inside one is never taken for an instruction.
    /// </summary>
    internal sealed class DockerfileReader
    {
        private readonly string _text;
        internal char Escape { get; private set; } = '\\';

        internal DockerfileReader(string text)
        {
            _text = text;
        }

        internal List<DockerfileInstruction> Read()
        {
            var instructions = new List<DockerfileInstruction>();
            var lines = PhysicalLines();
            int index = ReadDirectives(lines);

            StringBuilder joined = null;
            List<int> offsets = null;
            var heredocs = new Queue<(string Word, bool StripTabs)>();
            for (; index < lines.Count; index++)
            {
                var (start, content) = lines[index];
                if (heredocs.Count > 0)
                {
                    var (word, stripTabs) = heredocs.Peek();
                    string candidate = stripTabs ? content.TrimStart('\t') : content;
                    if (candidate == word) heredocs.Dequeue();
                    continue;
                }

                string trimmed = content.TrimStart();
                if (trimmed.Length == 0 || trimmed[0] == '#') continue;  // blank or comment, also inside a continuation

                if (joined == null)
                {
                    joined = new StringBuilder();
                    offsets = new List<int>();
                }
                int kept = ContinuedLength(content);
                bool continues = kept >= 0;
                int length = continues ? kept : content.Length;
                for (int i = 0; i < length; i++)
                {
                    joined.Append(content[i]);
                    offsets.Add(start + i);
                }
                if (continues) continue;

                var instruction = new DockerfileInstruction(joined.ToString(), offsets);
                instructions.Add(instruction);
                foreach (var heredoc in DockerfileHeredocs.Of(instruction)) heredocs.Enqueue(heredoc);
                joined = null;
            }
            if (joined != null) instructions.Add(new DockerfileInstruction(joined.ToString(), offsets));
            return instructions;
        }

        // Each physical line's start offset and its text without the line break (\n or \r\n).
        private List<(int Start, string Content)> PhysicalLines()
        {
            var lines = new List<(int, string)>();
            int start = 0;
            while (start < _text.Length)
            {
                int newline = _text.IndexOf('\n', start);
                int end = newline < 0 ? _text.Length : newline;
                int contentEnd = end > start && _text[end - 1] == '\r' ? end - 1 : end;
                lines.Add((start, _text.Substring(start, contentEnd - start)));
                start = newline < 0 ? _text.Length : newline + 1;
            }
            return lines;
        }

        // The parser directives BuildKit knows; any other "# name=value" is a comment and ends the directives.
        private static readonly string[] DirectiveNames = { "syntax", "escape", "check" };

        // Parser directives ("# name=value") may only open the file; the first other line ends them.
        private int ReadDirectives(List<(int Start, string Content)> lines)
        {
            int index = 0;
            for (; index < lines.Count; index++)
            {
                string line = lines[index].Content.Trim();
                if (!line.StartsWith("#", StringComparison.Ordinal)) break;
                int equals = line.IndexOf('=');
                if (equals < 0) break;
                string name = line.Substring(1, equals - 1).Trim().ToLowerInvariant();
                string value = line.Substring(equals + 1).Trim();
                if (Array.IndexOf(DirectiveNames, name) < 0 || value.Length == 0) break;
                if (name == "escape" && (value == "`" || value == "\\")) Escape = value[0];
            }
            return index;
        }

        // Length of the line to keep when it ends with the escape character (optionally followed by blanks); -1 otherwise.
        // An escape that is itself escaped (a line ending in two of them) ends the line, as in BuildKit.
        private int ContinuedLength(string content)
        {
            int end = content.Length;
            while (end > 0 && (content[end - 1] == ' ' || content[end - 1] == '\t')) end--;
            if (end == 0 || content[end - 1] != Escape) return -1;
            return end > 1 && content[end - 2] == Escape ? -1 : end - 1;
        }
    }
}
