using System.Globalization;

namespace DigestTools.Engine.Pinning
{
    /// <summary>The documented naming scheme of New-PinnedContainer: Name alone for one container, Name-1..Name-N for replicas.</summary>
    public static class ReplicaNames
    {
        /// <summary>One entry per replica; entries are null when the engine should choose.</summary>
        public static string[] For(string name, int count)
        {
            var names = new string[count];
            for (int i = 0; i < count; i++)
                names[i] = string.IsNullOrEmpty(name) ? null : count == 1 ? name : name + "-" + (i + 1).ToString(CultureInfo.InvariantCulture);
            return names;
        }
    }
}
