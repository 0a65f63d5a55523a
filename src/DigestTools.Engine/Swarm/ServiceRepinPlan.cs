namespace DigestTools.Engine.Swarm
{
    /// <summary>What Update-PinnedService would do to one service: old image, new pin, and whether they differ.</summary>
    public sealed class ServiceRepinPlan
    {
        internal ServiceRepinPlan(Docker.EngineService service, ServiceImagePin pin)
        {
            Service = service;
            Pin = pin;
        }

        /// <summary>The service as it was when the plan was made.</summary>
        public Docker.EngineService Service { get; }

        public ServiceImagePin Pin { get; }

        public string OldImage => Service.Image;
        public string OldDigest => ServiceImagePin.DigestOf(Service.Image);
        public string NewDigest => Pin.Digest;

        /// <summary>False when the service already runs the digest the reference names now: nothing to roll.</summary>
        public bool Changes => OldDigest != NewDigest;
    }
}
