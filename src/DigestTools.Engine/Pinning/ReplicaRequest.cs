using DigestTools.Engine.Docker;
using DigestTools.Engine.References;

namespace DigestTools.Engine.Pinning
{
    /// <summary>What New-PinnedContainer asks of <see cref="ReplicaCreator"/> for one input.</summary>
    public sealed class ReplicaRequest
    {
        /// <summary>The reference the caller gave (recorded in a label).</summary>
        public ParsedReference Source { get; set; }

        /// <summary>repository@digest every replica is created from.</summary>
        public ParsedReference Pinned { get; set; }

        /// <summary>One entry per replica (null: the engine names it); see <see cref="ReplicaNames"/>.</summary>
        public string[] Names { get; set; }

        /// <summary>Everything but image, name, pin labels and AutoRemove, which the creator sets.</summary>
        public ContainerSpec Template { get; set; }

        public bool Start { get; set; }

        /// <summary>Start, wait for each container to exit and read its exit code.</summary>
        public bool Wait { get; set; }

        /// <summary>With Wait: read stdout+stderr.</summary>
        public bool Logs { get; set; }

        /// <summary>Remove after Wait, or let the engine remove on exit (--rm) otherwise.</summary>
        public bool Remove { get; set; }
    }
}
