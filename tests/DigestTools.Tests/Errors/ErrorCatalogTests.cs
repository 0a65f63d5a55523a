using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DigestTools.Engine.Errors;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>The catalog and about_DigestTools describe the same ids; each id is listed once.</summary>
    public sealed class ErrorCatalogTests
    {
        private static readonly Lazy<string> s_section = new Lazy<string>(ReadErrorSection);

        [Fact]
        public void EveryCatalogIdIsDocumented()
        {
            string[] missing = ErrorCatalog.All.Select(k => k.Id)
                .Where(id => !Regex.IsMatch(s_section.Value, @"\b" + id + @"\b")).ToArray();
            Assert.Empty(missing);
        }

        [Fact]
        public void EveryDocumentedIdIsInTheCatalog()
        {
            var known = new HashSet<string>(ErrorCatalog.All.Select(k => k.Id), StringComparer.Ordinal);
            string[] documented = DocumentedIds(s_section.Value).ToArray();
            Assert.True(documented.Length > 40, "the parser found only " + documented.Length + " documented ids");
            Assert.DoesNotContain(documented, id => !known.Contains(id));
        }

        [Fact]
        public void IdsAreUniqueAndMatchTheirFieldNames()
        {
            Assert.Equal(ErrorCatalog.All.Count, ErrorCatalog.All.Select(k => k.Id).Distinct().Count());
            foreach (var field in typeof(ErrorCatalog).GetFields().Where(f => f.FieldType == typeof(ErrorKind)))
                Assert.Equal(field.Name, ((ErrorKind)field.GetValue(null)).Id);
        }

        // Id entries start at column 4: "Id   description", "Id, Id,   description" or a lone "Id," continuing a
        // list. Headings ("Input", "Engine connection (stops)") have one capital and no description column.
        private static IEnumerable<string> DocumentedIds(string section)
        {
            var entry = new Regex(@"^    (?<ids>[A-Z][A-Za-z0-9]*(?:, ?[A-Z][A-Za-z0-9]*)*),?(?<after>\s{2,}\S|\s*$| \S)");
            foreach (string line in section.Split('\n'))
            {
                Match m = entry.Match(line.TrimEnd('\r'));
                if (!m.Success) continue;
                string[] ids = m.Groups["ids"].Value.Split(new[] { ',', ' ' }, StringSplitOptions.RemoveEmptyEntries);
                bool describedHere = Regex.IsMatch(m.Groups["after"].Value, @"^\s{2,}");
                bool camelCase = ids.All(id => id.Count(char.IsUpper) >= 2);
                bool longIdThenText = ids.Length == 1 && ids[0].Length >= 28;   // the description column is full
                if (describedHere || camelCase || longIdThenText)
                    foreach (string id in ids) yield return id;
            }
        }

        private static string ReadErrorSection()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string path = Path.Combine(dir.FullName, "en-US", "about_DigestTools.help.txt");
                if (!File.Exists(path)) continue;
                string text = File.ReadAllText(path);
                int start = text.IndexOf("ERROR IDS", StringComparison.Ordinal);
                int end = text.IndexOf("\nSEE ALSO", start, StringComparison.Ordinal);
                return text.Substring(start, (end < 0 ? text.Length : end) - start);
            }
            throw new FileNotFoundException("en-US/about_DigestTools.help.txt above " + AppContext.BaseDirectory);
        }
    }
}
