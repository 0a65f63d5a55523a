using System;
using System.Collections.Generic;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// Finds the image references of a Dockerfile: FROM (with --platform and AS), COPY --from=&lt;image&gt; and
    /// RUN --mount=...,from=&lt;image&gt;. Stage names (a later FROM or --from naming an earlier stage), stage
    /// numbers and scratch are not images. ARGs declared before the first FROM give their defaults to the
    /// references; one that stays variable is reported with a SkipReason.
    /// </summary>
    internal sealed class DockerfileFinder
    {
        // BuildKit defines these for FROM lines; they describe the build, not an image, so a reference or a
        // platform that uses them is left to the build (the index digest serves every platform).
        private static readonly string[] AutomaticPlatformArgs =
            { "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT" };

        private readonly Dictionary<string, string> _globalArgs = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly HashSet<string> _stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly List<ImageSite> _sites = new List<ImageSite>();
        private VariableExpander _expander;
        private string _stagePlatform;
        private string _stageLabel;
        private bool _seenFrom;
        private int _stageIndex;

        internal static List<ImageSite> Find(PinFileText file)
        {
            var finder = new DockerfileFinder();
            var reader = new DockerfileReader(file.Text);
            List<DockerfileInstruction> instructions = reader.Read();
            finder._expander = VariableExpander.ForDockerfile(finder._globalArgs, reader.Escape);
            foreach (DockerfileInstruction instruction in instructions) finder.Visit(instruction);

            TextLines lines = file.Lines();
            foreach (ImageSite site in finder._sites) lines.Locate(site);
            return finder._sites;
        }

        private void Visit(DockerfileInstruction instruction)
        {
            var words = instruction.Words();
            if (words.Count == 0) return;
            switch (instruction.Word(words[0]).ToUpperInvariant())
            {
                case "ARG" when !_seenFrom:
                    DeclareGlobalArgs(instruction, words);
                    break;
                case "FROM":
                    _seenFrom = true;
                    VisitFrom(instruction, words);
                    break;
                case "COPY":
                    foreach (var (flag, value) in Flags(instruction, words))
                        if (flag == "--from") AddIfImage(instruction, value, ImageSiteKind.DockerfileCopyFrom, "COPY --from");
                    break;
                case "RUN":
                    foreach (var (flag, value) in Flags(instruction, words))
                        if (flag == "--mount") VisitMount(instruction, value);
                    break;
            }
        }

        private void DeclareGlobalArgs(DockerfileInstruction instruction, List<(int Start, int Length)> words)
        {
            for (int i = 1; i < words.Count; i++)
            {
                string word = instruction.Word(words[i]);
                int equals = word.IndexOf('=');
                if (equals < 0)
                {
                    if (!_globalArgs.ContainsKey(word)) _globalArgs[word] = null;
                    continue;
                }
                string value = Unquote(word.Substring(equals + 1));
                _globalArgs[word.Substring(0, equals)] = _expander.Expand(value, out _);
            }
        }

        private void VisitFrom(DockerfileInstruction instruction, List<(int Start, int Length)> words)
        {
            int i = 1;
            string platform = null;
            for (; i < words.Count && instruction.Word(words[i]).StartsWith("--", StringComparison.Ordinal); i++)
            {
                string flag = instruction.Word(words[i]);
                if (flag.StartsWith("--platform=", StringComparison.OrdinalIgnoreCase))
                    platform = _expander.Expand(flag.Substring("--platform=".Length), out _);
            }
            if (i >= words.Count) return;

            var image = words[i];
            string stageName = i + 2 < words.Count && instruction.Word(words[i + 1]).Equals("AS", StringComparison.OrdinalIgnoreCase)
                ? instruction.Word(words[i + 2]) : null;
            _stagePlatform = platform;
            _stageLabel = stageName != null ? $"FROM (stage {stageName})" : $"FROM (stage {_stageIndex})";
            AddIfImage(instruction, image, ImageSiteKind.DockerfileFrom, _stageLabel);
            if (stageName != null) _stages.Add(stageName);
            _stages.Add(_stageIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _stageIndex++;
        }

        private void VisitMount(DockerfileInstruction instruction, (int Start, int Length) value)
        {
            // --mount=type=cache,target=/x,from=image: comma-separated key=value pairs.
            int pairStart = value.Start;
            int end = value.Start + value.Length;
            while (pairStart < end)
            {
                int comma = instruction.Text.IndexOf(',', pairStart, end - pairStart);
                int pairEnd = comma < 0 ? end : comma;
                string pair = instruction.Text.Substring(pairStart, pairEnd - pairStart);
                if (pair.StartsWith("from=", StringComparison.OrdinalIgnoreCase))
                    AddIfImage(instruction, (pairStart + 5, pairEnd - pairStart - 5), ImageSiteKind.DockerfileMountFrom, "RUN --mount from");
                pairStart = pairEnd + 1;
            }
        }

        private void AddIfImage(DockerfileInstruction instruction, (int Start, int Length) word, ImageSiteKind kind, string context)
        {
            if (word.Length == 0) return;
            string text = instruction.Word(word);
            string reference = _expander.Expand(text, out string unresolved);
            if (reference != null && (reference.Equals("scratch", StringComparison.OrdinalIgnoreCase) || _stages.Contains(reference)))
                return;

            var site = new ImageSite
            {
                Kind = kind,
                Text = text,
                Reference = reference,
                Platform = _stagePlatform,   // a FROM sets its stage's platform before its image is added
                Context = kind == ImageSiteKind.DockerfileFrom ? context : $"{context} in {_stageLabel}",
                Offset = instruction.FileOffset(word.Start, word.Length),
                Length = word.Length,
            };
            if (reference == null)
                site.SkipReason = Array.IndexOf(AutomaticPlatformArgs, unresolved) >= 0
                    ? $"the reference uses ${unresolved}, which only the build defines"
                    : VariableExpander.Reason(unresolved, "has no default in the file");
            if (site.Offset < 0)
            {
                // Broken by a line continuation: pinning would have to rewrite across lines; leave it to a human.
                site.Offset = instruction.FileOffset(word.Start, 1);
                site.Length = 1;
                site.SkipReason = "the reference is split across lines by a line continuation";
            }
            _sites.Add(site);
        }

        private static IEnumerable<(string Flag, (int Start, int Length) Value)> Flags(DockerfileInstruction instruction, List<(int Start, int Length)> words)
        {
            for (int i = 1; i < words.Count; i++)
            {
                string word = instruction.Word(words[i]);
                if (!word.StartsWith("--", StringComparison.Ordinal)) yield break;
                int equals = word.IndexOf('=');
                if (equals < 0) continue;
                yield return (word.Substring(0, equals).ToLowerInvariant(), (words[i].Start + equals + 1, words[i].Length - equals - 1));
            }
        }

        private static string Unquote(string value)
            => value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value.Length - 1] == value[0]
                ? value.Substring(1, value.Length - 2) : value;
    }
}
