using System;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>One --mount value: type=bind|volume|tmpfs,source=...,target=...[,readonly].</summary>
    public sealed class MountSpec
    {
        public string Type { get; private set; }
        public string Source { get; private set; }
        public string Target { get; private set; }
        public bool ReadOnly { get; private set; }

        /// <summary>A mount as an engine reported it (no validation: the engine already accepted it).</summary>
        public static MountSpec Of(string type, string source, string target, bool readOnly)
            => new MountSpec { Type = type, Source = source, Target = target, ReadOnly = readOnly };

        /// <exception cref="FailureException">InvalidMountSpec.</exception>
        public static MountSpec Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) throw Invalid(text, "it is empty");
            var spec = new MountSpec { Type = "volume" };
            foreach (string field in text.Split(','))
            {
                string f = field.Trim();
                if (f.Length == 0) continue;
                int eq = f.IndexOf('=');
                string key = (eq < 0 ? f : f.Substring(0, eq)).ToLowerInvariant();
                string value = eq < 0 ? null : f.Substring(eq + 1);
                switch (key)
                {
                    case "type": spec.Type = value?.ToLowerInvariant(); break;
                    case "source": case "src": spec.Source = value; break;
                    case "target": case "destination": case "dst": spec.Target = value; break;
                    case "readonly": case "ro":
                        spec.ReadOnly = value == null || value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
                        break;
                    default: throw Invalid(text, $"'{key}' is not one of type, source, target, readonly");
                }
            }
            if (spec.Type != "bind" && spec.Type != "volume" && spec.Type != "tmpfs") throw Invalid(text, $"type '{spec.Type}' is not bind, volume or tmpfs");
            if (string.IsNullOrEmpty(spec.Target)) throw Invalid(text, "target is missing");
            if (spec.Type == "bind" && string.IsNullOrEmpty(spec.Source)) throw Invalid(text, "a bind mount needs a source");
            return spec;
        }

        private static FailureException Invalid(string text, string why)
            => new FailureException(ErrorCatalog.InvalidMountSpec, $"The mount '{text}' is invalid: {why}.");
    }
}
