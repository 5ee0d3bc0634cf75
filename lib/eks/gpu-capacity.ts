/**
 * How GPU nodes are bought. GPU capacity is the scarcest input of the platform,
 * so the purchase option is an explicit choice with static factories:
 *
 * @example
 * GpuCapacity.onDemand();                              // default
 * GpuCapacity.openReservations();                      // use matching On-Demand Capacity Reservations first
 * GpuCapacity.reservation("cr-0123456789abcdef0");     // only this ODCR (one AZ)
 * GpuCapacity.capacityBlock("cr-0123456789abcdef0");   // a Capacity Block for ML (one AZ, fixed window)
 */
export class GpuCapacity {
  /** Plain On-Demand instances (EKS capacity type `ON_DEMAND`), no reservation preference set. */
  public static onDemand(): GpuCapacity {
    return new GpuCapacity("onDemand", "ON_DEMAND");
  }

  /**
   * On-Demand instances that land in any matching open On-Demand Capacity
   * Reservation first and fall back to plain On-Demand (launch template
   * `capacity_reservation_preference = "open"`). Works across AZs.
   */
  public static openReservations(): GpuCapacity {
    return new GpuCapacity("openReservations", "ON_DEMAND");
  }

  /**
   * Instances launched only into one targeted On-Demand Capacity Reservation.
   * A reservation lives in one AZ: give the node group the one subnet in that AZ.
   * When the reservation is full, launches fail instead of silently buying On-Demand.
   * @param reservationId e.g. `cr-0123456789abcdef0`
   */
  public static reservation(reservationId: string): GpuCapacity {
    return new GpuCapacity("reservation", "ON_DEMAND", reservationId);
  }

  /**
   * A Capacity Block for ML (EKS capacity type `CAPACITY_BLOCK`; launch template
   * market type `capacity-block` targeting the block). One AZ: give the node group
   * the one subnet in that AZ. Instances exist only during the block's window;
   * create the group with desired size 0 before the block starts and scale to 0
   * at least 30 minutes before it ends (EKS user guide, "Capacity Blocks for ML").
   * @param reservationId the block's capacity reservation id, e.g. `cr-0123456789abcdef0`
   */
  public static capacityBlock(reservationId: string): GpuCapacity {
    return new GpuCapacity("capacityBlock", "CAPACITY_BLOCK", reservationId);
  }

  private constructor(
    /** Which variant this is. */
    public readonly kind: "onDemand" | "openReservations" | "reservation" | "capacityBlock",
    /** The node group's `capacity_type`. */
    public readonly capacityType: "ON_DEMAND" | "CAPACITY_BLOCK",
    /** Targeted capacity reservation id, for `reservation` and `capacityBlock`. */
    public readonly reservationId?: string,
  ) {}

  /** True when instances can only launch in the reservation's single AZ. */
  public get isZonal(): boolean {
    return this.reservationId !== undefined;
  }
}

/** Format of an EC2 capacity reservation id. */
export const CAPACITY_RESERVATION_ID_PATTERN = /^cr-[0-9a-f]{8,17}$/;
