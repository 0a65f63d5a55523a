using System;
using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Docker;
using DigestTools.Engine.References;

namespace DigestTools.Engine.Pinning
{
    /// <summary>
    /// Builds the rows of `docker images --digests` from the engine's image list, the way the docker CLI
    /// does: per image, each repository's tags times that repository's digests (a tag without a digest
    /// gives one row with none), then rows for repositories known only by digest, or one row for a
    /// dangling image. Default mode keeps one row per repository:tag (first digest the engine lists).
    /// </summary>
    public static class LocalDigestRows
    {
        public static List<LocalDigestRow> Build(IEnumerable<EngineImage> images, bool all)
        {
            var rows = new List<LocalDigestRow>();
            foreach (EngineImage image in images)
            {
                // repository (familiar) -> its full name, tags and digests, in the engine's order
                var tags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                var digests = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                var fullNames = new Dictionary<string, string>(StringComparer.Ordinal);
                var order = new List<string>();

                foreach (string entry in image.RepoTags)
                {
                    ParsedReference r = EngineName(entry);
                    if (r == null || r.Tag == null || r.Digest != null) continue;   // "<none>:<none>" or Podman's repo@digest
                    string repo = Familiar(r);
                    Add(tags, repo, r.Tag);
                    Remember(fullNames, order, repo, r.Name);
                }
                foreach (string entry in image.RepoDigests)
                {
                    ParsedReference r = EngineName(entry);
                    if (r == null || r.Digest == null) continue;
                    string repo = Familiar(r);
                    Add(digests, repo, r.Digest);
                    Remember(fullNames, order, repo, r.Name);
                }

                if (tags.Count == 0 && digests.Count == 0)
                {
                    rows.Add(Row(image, null, null, null, null, new string[0]));
                    continue;
                }
                foreach (string repo in order.Where(tags.ContainsKey))
                {
                    List<string> known = digests.TryGetValue(repo, out List<string> d) ? d : new List<string>();
                    foreach (string tag in tags[repo])
                    {
                        if (known.Count == 0) rows.Add(Row(image, repo, fullNames[repo], tag, null, known));
                        else if (!all) rows.Add(Row(image, repo, fullNames[repo], tag, known[0], known));
                        else foreach (string digest in known) rows.Add(Row(image, repo, fullNames[repo], tag, digest, known));
                    }
                }
                foreach (string repo in order.Where(r => !tags.ContainsKey(r) && digests.ContainsKey(r)))
                {
                    List<string> known = digests[repo];
                    foreach (string digest in all ? known : known.Take(1))
                        rows.Add(Row(image, repo, fullNames[repo], null, digest, known));
                }
            }
            return rows;
        }

        private static string Familiar(ParsedReference r) => ParsedReference.Parse(r.Name).FamiliarName;

        // An engine's "repo:tag" or "repo@digest" entry; null for "<none>:<none>" and other unparseable ones.
        private static ParsedReference EngineName(string entry) => ParsedReference.TryParse(entry, out ParsedReference r) ? r : null;

        private static void Add(Dictionary<string, List<string>> map, string key, string value)
        {
            if (!map.TryGetValue(key, out List<string> list)) map[key] = list = new List<string>();
            if (!list.Contains(value)) list.Add(value);
        }

        private static void Remember(Dictionary<string, string> fullNames, List<string> order, string repo, string fullName)
        {
            if (fullNames.ContainsKey(repo)) return;
            fullNames[repo] = fullName;
            order.Add(repo);
        }

        private static LocalDigestRow Row(EngineImage image, string repo, string fullName, string tag, string digest, IEnumerable<string> known)
            => new LocalDigestRow
            {
                Repository = repo,
                Tag = tag,
                Digest = digest,
                Reference = repo == null ? null : tag == null ? repo : repo + ":" + tag,
                PinnedReference = digest == null ? null : fullName + "@" + digest,
                ImageId = image.Id,
                Digests = known.ToArray(),
                Created = image.Created,
                Size = image.Size,
            };
    }
}
