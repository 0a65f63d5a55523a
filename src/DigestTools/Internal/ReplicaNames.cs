using System.Globalization;

namespace DigestTools
{
    /// <summary>The documented naming scheme of New-PinnedContainer: Name alone for one container, Name-1..Name-N for replicas.</summary>
    internal static class ReplicaNames
    {
        /// <summary>One entry per replica; entries are null when the engine should choose.</summary>
        internal static string[] For(string name, int count)
        {
            var names = new string[count];
            for (int i = 0; i < count; i++)
                names[i] = string.IsNullOrEmpty(name) ? null : count == 1 ? name : name + "-" + (i + 1).ToString(CultureInfo.InvariantCulture);
            return names;
        }
    }
}
