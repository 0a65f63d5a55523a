namespace DigestTools.Engine.Swarm
{
    /// <summary>One look at a service while waiting: how many tasks run the pinned digest, of how many wanted.</summary>
    public sealed class ServiceRolloutProgress
    {
        public string Service { get; set; }
        public ulong Running { get; set; }
        public ulong Desired { get; set; }

        /// <summary>Swarm's update state while an update rolls (updating, rollback_started...); null when creating.</summary>
        public string UpdateState { get; set; }
    }
}
