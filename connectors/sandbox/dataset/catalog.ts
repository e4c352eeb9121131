/**
 * Word lists and catalogues the generator draws from: a regional field-service business in the
 * Atlanta metro area. Every email address uses reserved example domains and every phone number is
 * drawn at random, so the data set holds no real person's details.
 */

export const FIRST_NAMES = [
  'Alex', 'Jordan', 'Morgan', 'Taylor', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Dana',
  'Maria', 'James', 'Linda', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'William', 'Elizabeth', 'David',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel',
  'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Donald', 'Ashley', 'Steven',
  'Kimberly', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle', 'Kenneth', 'Carol', 'Kevin',
  'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie', 'Ronald', 'Rebecca', 'Jason',
  'Aisha', 'Mateo', 'Priya', 'Wei', 'Olu', 'Sofia', 'Diego', 'Hana', 'Tariq', 'Ingrid',
] as const;

export const LAST_NAMES = [
  'Rivera', 'Lee', 'Shaw', 'Harris', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia',
  'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas',
  'Moore', 'Jackson', 'Martin', 'Thompson', 'White', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young',
  'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams',
  'Nelson', 'Baker', 'Hall', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Okafor', 'Patel', 'Chen',
  'Kim', 'Singh', 'Haddad', 'Novak', 'Bianchi', 'Larsen', 'Duarte', 'Moreau', 'Tanaka', 'Osei',
] as const;

export const COMPANY_WORDS = [
  'Peachtree', 'Piedmont', 'Chattahoochee', 'Buckhead', 'Magnolia', 'Dogwood', 'Summit', 'Riverside',
  'Oakwood', 'Highland', 'Cobb', 'Gwinnett', 'Midtown', 'Ponce', 'Decatur', 'Lakeside', 'Northpoint',
] as const;

export const COMPANY_KINDS = [
  'Dental', 'Bakery', 'Fitness', 'Veterinary Clinic', 'Pharmacy', 'Grill', 'Market', 'Cold Storage',
  'Medical Offices', 'Brewing Co', 'Hotel', 'Self Storage', 'Family Practice', 'Diner', 'Laundromat',
] as const;

export const COMPANY_SUFFIXES = ['LLC', 'Inc', 'Co', 'Group', ''] as const;

/** Streets: [name, suffix, full suffix, direction or ''] */
export const STREETS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['Peachtree', 'St', 'Street', 'NE'],
  ['Ponce de Leon', 'Ave', 'Avenue', 'NE'],
  ['Piedmont', 'Rd', 'Road', 'NE'],
  ['Howell Mill', 'Rd', 'Road', 'NW'],
  ['Moreland', 'Ave', 'Avenue', 'SE'],
  ['Roswell', 'Rd', 'Road', ''],
  ['Lawrenceville', 'Hwy', 'Highway', ''],
  ['Church', 'St', 'Street', ''],
  ['Main', 'St', 'Street', ''],
  ['Oak', 'Dr', 'Drive', ''],
  ['Magnolia', 'Ln', 'Lane', ''],
  ['Maple', 'Ave', 'Avenue', ''],
  ['Dogwood', 'Ct', 'Court', ''],
  ['Holcomb Bridge', 'Rd', 'Road', ''],
  ['Cobb', 'Pkwy', 'Parkway', 'SE'],
  ['Memorial', 'Dr', 'Drive', 'SE'],
  ['Briarcliff', 'Rd', 'Road', 'NE'],
  ['Clairmont', 'Rd', 'Road', ''],
  ['Northside', 'Dr', 'Drive', 'NW'],
  ['Candler', 'Rd', 'Road', ''],
  ['Johnson Ferry', 'Rd', 'Road', ''],
  ['Windy Hill', 'Rd', 'Road', 'SE'],
  ['Old Alabama', 'Rd', 'Road', ''],
  ['Sugarloaf', 'Pkwy', 'Parkway', ''],
  ['Buford', 'Hwy', 'Highway', 'NE'],
  ['Eastside', 'Blvd', 'Boulevard', ''],
  ['Lakeview', 'Ter', 'Terrace', ''],
  ['Pine', 'St', 'Street', ''],
  ['Cedar', 'Ln', 'Lane', ''],
  ['Willow', 'Way', 'Way', ''],
];

/** [city, region code of our service regions, zip codes] */
export const CITIES: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['Atlanta', 'ATL-C', ['30303', '30305', '30306', '30308', '30309', '30312', '30318', '30324']],
  ['Decatur', 'ATL-E', ['30030', '30032', '30033']],
  ['Marietta', 'ATL-W', ['30060', '30062', '30064', '30066']],
  ['Smyrna', 'ATL-W', ['30080', '30082']],
  ['Kennesaw', 'ATL-W', ['30144', '30152']],
  ['Roswell', 'ATL-N', ['30075', '30076']],
  ['Alpharetta', 'ATL-N', ['30004', '30005', '30009']],
  ['Sandy Springs', 'ATL-N', ['30328', '30350']],
  ['Dunwoody', 'ATL-N', ['30338']],
  ['Duluth', 'ATL-E', ['30096', '30097']],
  ['Lawrenceville', 'ATL-E', ['30043', '30044', '30045']],
  ['Tucker', 'ATL-E', ['30084']],
  ['Norcross', 'ATL-E', ['30071', '30092']],
  ['East Point', 'ATL-S', ['30344']],
  ['Peachtree City', 'ATL-S', ['30269']],
];

export const REGIONS = ['ATL-C', 'ATL-N', 'ATL-E', 'ATL-W', 'ATL-S'] as const;

export const AREA_CODES = ['404', '470', '678', '770'] as const;

export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.com'] as const;

/** Kinds of unit the business services, with the skill a technician needs. */
export const UNIT_TYPES: ReadonlyArray<{
  type: string;
  skill: string;
  commercial: boolean;
  makers: ReadonlyArray<{ manufacturer: string; models: readonly string[]; program?: string; serialPrefix: string }>;
  problems: readonly string[];
}> = [
  {
    type: 'Furnace',
    skill: 'hvac',
    commercial: false,
    makers: [
      { manufacturer: 'Carrier', models: ['59SC5', '58TN0', 'Infinity 98'], program: 'Carrier Factory Warranty', serialPrefix: 'CF' },
      { manufacturer: 'Trane', models: ['S9V2', 'XR95', 'S8X1'], program: 'Trane Registered Limited Warranty', serialPrefix: 'TR' },
      { manufacturer: 'Lennox', models: ['EL296V', 'SL280V'], serialPrefix: 'LX' },
    ],
    problems: ['NO_HEAT', 'SHORT_CYCLING', 'IGNITER_FAILURE', 'NOISY_BLOWER'],
  },
  {
    type: 'Air Conditioner',
    skill: 'hvac',
    commercial: false,
    makers: [
      { manufacturer: 'Carrier', models: ['24ACC6', 'Comfort 13'], program: 'Carrier Factory Warranty', serialPrefix: 'CA' },
      { manufacturer: 'Rheem', models: ['RA14', 'RA17'], program: 'Rheem Protection Plus', serialPrefix: 'RH' },
      { manufacturer: 'Goodman', models: ['GSX14', 'GSXC18'], serialPrefix: 'GM' },
    ],
    problems: ['NO_COOL', 'REFRIGERANT_LEAK', 'FROZEN_COIL', 'THERMOSTAT_FAULT'],
  },
  {
    type: 'Water Heater',
    skill: 'plumbing',
    commercial: false,
    makers: [
      { manufacturer: 'A. O. Smith', models: ['ProLine XE', 'Signature 100'], program: 'A. O. Smith Limited Warranty', serialPrefix: 'AO' },
      { manufacturer: 'Bradford White', models: ['RG250', 'RE340'], serialPrefix: 'BW' },
    ],
    problems: ['NO_HOT_WATER', 'LEAKING_TANK', 'PILOT_OUT'],
  },
  {
    type: 'Refrigerator',
    skill: 'appliance',
    commercial: false,
    makers: [
      { manufacturer: 'ACME Appliances', models: ['ACME-ICE-3000', 'ACME-FR-220'], program: 'ACME Protect', serialPrefix: 'SN' },
      { manufacturer: 'Whirlpool', models: ['WRF555', 'WRX735'], program: 'Whirlpool Care', serialPrefix: 'WP' },
    ],
    problems: ['ICE_MAKER_NOT_WORKING', 'NOT_COOLING', 'WATER_LEAK', 'COMPRESSOR_NOISE'],
  },
  {
    type: 'Dishwasher',
    skill: 'appliance',
    commercial: false,
    makers: [
      { manufacturer: 'ACME Appliances', models: ['ACME-DW-900', 'ACME-DW-450'], program: 'ACME Protect', serialPrefix: 'SN' },
      { manufacturer: 'Bosch', models: ['SHPM88', 'SHX3AR'], program: 'Bosch Warranty', serialPrefix: 'BO' },
    ],
    problems: ['NOT_DRAINING', 'NOT_CLEANING', 'DOOR_LATCH', 'NEW_APPLIANCE_INSTALL'],
  },
  {
    type: 'Chiller',
    skill: 'refrigeration',
    commercial: true,
    makers: [
      { manufacturer: 'York', models: ['Chiller CX400', 'YVAA-150'], program: 'York Service Contract', serialPrefix: 'YK' },
      { manufacturer: 'Daikin', models: ['Pathfinder AWV', 'Trailblazer'], serialPrefix: 'DK' },
    ],
    problems: ['NO_COOL', 'HIGH_PRESSURE_ALARM', 'LOW_FLOW'],
  },
  {
    type: 'Rooftop Unit',
    skill: 'hvac',
    commercial: true,
    makers: [
      { manufacturer: 'Trane', models: ['Voyager 3', 'Precedent'], program: 'Trane Registered Limited Warranty', serialPrefix: 'TR' },
      { manufacturer: 'Carrier', models: ['WeatherMaker 48', 'Centurion 50'], program: 'Carrier Factory Warranty', serialPrefix: 'CR' },
    ],
    problems: ['NO_COOL', 'ECONOMIZER_FAULT', 'BELT_WORN'],
  },
  {
    type: 'Walk-in Cooler',
    skill: 'refrigeration',
    commercial: true,
    makers: [{ manufacturer: 'Kolpak', models: ['KF7-0810', 'P7-0606'], serialPrefix: 'KP' }],
    problems: ['NOT_COOLING', 'DOOR_SEAL', 'ICE_BUILDUP'],
  },
];

/** Parts with exact prices (decimal strings). */
export const PARTS: ReadonlyArray<{ partNumber: string; description: string; unitPrice: string; skill: string }> = [
  { partNumber: 'ICE-VALVE-01', description: 'Ice maker inlet valve', unitPrice: '42.50', skill: 'appliance' },
  { partNumber: 'DW-MOUNT-KIT', description: 'Dishwasher mounting kit', unitPrice: '18.75', skill: 'appliance' },
  { partNumber: 'DW-PUMP-22', description: 'Dishwasher drain pump', unitPrice: '64.90', skill: 'appliance' },
  { partNumber: 'FILTER-XL', description: 'XL air filter', unitPrice: '24.99', skill: 'hvac' },
  { partNumber: 'IGN-HSI-400', description: 'Hot surface igniter', unitPrice: '38.40', skill: 'hvac' },
  { partNumber: 'CAP-45-5', description: 'Dual run capacitor 45/5 uF', unitPrice: '29.95', skill: 'hvac' },
  { partNumber: 'TSTAT-WIFI', description: 'Wi-Fi thermostat', unitPrice: '149.00', skill: 'hvac' },
  { partNumber: 'R410A-LB', description: 'R-410A refrigerant, per lb', unitPrice: '48.00', skill: 'hvac' },
  { partNumber: 'BELT-A42', description: 'V-belt A42', unitPrice: '12.35', skill: 'hvac' },
  { partNumber: 'WH-ANODE', description: 'Water heater anode rod', unitPrice: '31.20', skill: 'plumbing' },
  { partNumber: 'WH-TP-VALVE', description: 'T&P relief valve', unitPrice: '22.80', skill: 'plumbing' },
  { partNumber: 'GASKET-WIC', description: 'Walk-in door gasket', unitPrice: '87.60', skill: 'refrigeration' },
  { partNumber: 'EXP-VALVE-R', description: 'Expansion valve', unitPrice: '132.75', skill: 'refrigeration' },
];

/** Hourly labour rate of the business, exact. */
export const LABOR_RATE = '85.00';
/** Sales tax rate on parts (Georgia, average of the metro counties). */
export const TAX_RATE_BP = 800; // 8.00 %, in basis points

/** Membership plans: ServiceTitan membership types and Sera plans. */
export const MEMBERSHIP_PLANS = {
  servicetitan: [
    { id: '7100000001', name: 'Comfort Club', cadence: 'monthly', price: '19.00', visits: 2 },
    { id: '7100000002', name: 'Plumbing Protection Plan', cadence: 'annual', price: '189.00', visits: 1 },
    { id: '7100000003', name: 'Total Home Care', cadence: 'quarterly', price: '59.00', visits: 4 },
  ],
  sera: [
    { id: 'plan_hvac_comfort_monthly', name: 'HVAC Comfort Plan', cadence: 'monthly', price: '19.00', visits: 2 },
    { id: 'plan_hvac_comfort_annual', name: 'HVAC Comfort Plan (Annual)', cadence: 'annual', price: '199.00', visits: 2 },
    { id: 'plan_whole_home', name: 'Whole Home Plan', cadence: 'monthly', price: '34.00', visits: 3 },
  ],
} as const;
